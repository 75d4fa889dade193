from io import StringIO

from django.core.management import call_command

from taizhang.audit.models import Change
from taizhang.demo import ningbo
from taizhang.orgs.models import Org, Person, User


class DemoCommandChecks:
    """Run by `demo/tests/test_ningbo_demo.py` on the one demo it builds."""

    def test_it_builds_ningbo_at_realistic_size(self):
        counts = {
            k: Org.objects.filter(kind=k).count()
            for k in ("district", "town", "village", "community", "dev_zone", "city_unit")
        }
        self.assertEqual(counts["district"], 10)
        self.assertEqual(counts["town"], sum(len(d[4].split()) for d in ningbo.DISTRICTS))
        self.assertTrue(140 <= counts["town"] <= 160, counts)
        self.assertTrue(2800 <= counts["village"] + counts["community"] <= 3300, counts)
        self.assertEqual(Org.objects.filter(depth=1).get().name, "中共宁波市委")
        self.assertEqual(Org.objects.find_problems(), ([], [], [], [], []))

    def test_it_prints_each_levels_count_as_stored(self):
        for depth in range(1, 6):
            stored = Org.objects.filter(depth=depth).count()
            self.assertIn(f"level {depth}: {stored}\n", self.output)
        self.assertIn(f"People: {Person.objects.count()}", self.output)

    def test_it_prints_working_logins(self):
        for login, *_ in ningbo.demo_users():
            self.assertIn(login, self.output)
            self.assertTrue(User.objects.get(username=login).check_password(ningbo.DEMO_PASSWORD))
        response = self.client.post(
            "/accounts/login/", {"username": "haishu", "password": ningbo.DEMO_PASSWORD}
        )
        self.assertRedirects(response, "/")

    def test_it_records_the_focus_group_and_district_teams(self):
        district_team = Person.objects.filter(
            org__kind__in=["district", "dev_zone"], rank__in=["bureau", "county"]
        )
        self.assertGreaterEqual(district_team.count(), 386)  # enough adopting leaders for the seed
        self.assertEqual(Person.objects.filter(org__depth=1).count(), 13)  # the standing committee

    def test_it_is_idempotent(self):
        orgs, people, changes = Org.objects.count(), Person.objects.count(), Change.objects.count()
        out = StringIO()
        call_command("demo", no_serve=True, stdout=out)
        self.assertIn("already present", out.getvalue())
        self.assertEqual(
            (Org.objects.count(), Person.objects.count(), Change.objects.count()),
            (orgs, people, changes),
        )

    def test_it_writes_history_for_what_it_created(self):
        self.assertEqual(
            Change.objects.filter(model="orgs.org", channel="cli").count(), Org.objects.count()
        )

    def test_the_same_seed_builds_the_same_tree(self):
        first, _ = ningbo.plan_city(0)
        second, _ = ningbo.plan_city(0)
        self.assertEqual(first, second)
