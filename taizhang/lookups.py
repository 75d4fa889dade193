"""`field__any=[…]`: membership in a long list as one parameter. On PostgreSQL it is
`field = ANY(%s)` with the list sent as an array; Django's `__in` writes one placeholder
per value, and a query of 5,000 placeholders costs more to prepare than to run. Elsewhere
it is `IN (…)` as usual."""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        prepared = [self.lhs.output_field.get_db_prep_value(v, connection) for v in values]
        placeholders = ", ".join(["%s"] * len(prepared))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *prepared]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        prepared = [self.lhs.output_field.get_db_prep_value(v, connection) for v in values]
        return f"{lhs} = ANY(%s)", [*lhs_params, prepared]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # keys keep lookups of their own
