"""The demo's --scale option plans a province of about 100,000 orgs."""

from django.test import SimpleTestCase

from taizhang.demo import ningbo


class ScalePlanTests(SimpleTestCase):
    def test_scale_30_plans_a_province_of_about_100k_orgs(self):
        def size(spec):
            return 1 + sum(size(child) for child in spec.get("children", []))

        ningbo_size = size(ningbo.plan_city(0)[0])
        synthetic = [size(ningbo.plan_city(index)[0]) for index in (1, 2, 29)]
        province = 1 + ningbo_size + 29 * sum(synthetic) / len(synthetic)
        self.assertTrue(95_000 <= province <= 105_000, province)
        codes = {ningbo.plan_city(i)[0]["code"] for i in (0, 1, 29)}
        self.assertEqual(len(codes), 3)
