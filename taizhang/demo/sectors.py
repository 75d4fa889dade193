"""The demo's sector systems (行业系统): in each district a few schools and hospitals
(their party general branches, placed under the district), the education and the health
system that hold them with the city bureau answering for each, and a rural revitalisation
system of one model village per town. Built after the records, so the systems' totals
start from what the members already hold."""

from taizhang.audit.services import Actor
from taizhang.orgs import sectors
from taizhang.orgs.models import Org, OrgKind

SCHOOLS = ("实验小学", "第一中学", "职业高级中学")
HOSPITALS = ("人民医院", "中医院")
# (code, name, responsible department, which orgs are members)
SYSTEMS = (
    ("EDU", "教育系统", "市教育局", "schools"),
    ("HEALTH", "卫健系统", "市卫生健康委", "hospitals"),
    ("AGRI", "农业农村系统（乡村振兴示范村）", "市农业农村局", "villages"),
)


def unit_specs(district_code, short):
    """The schools and hospitals of one district, as children of the district's spec."""
    specs = []
    for prefix, names in (("S", SCHOOLS), ("H", HOSPITALS)):
        for i, name in enumerate(names, start=1):
            specs.append(
                {
                    "name": f"{short}{name}党总支",
                    "short_name": f"{short}{name}",
                    "code": f"{district_code}{prefix}{i:02d}",
                    "kind": OrgKind.GENERAL_BRANCH,
                }
            )
    return specs


def build(city: Org, index: int, joined_on):
    """Create one city's systems and their members."""
    actor = Actor.cli("taizhang demo")
    suffix = "" if index == 0 else f"-{index:02d}"
    below = Org.objects.filter(path__startswith=city.path)
    for code, name, department_name, members in SYSTEMS:
        department = below.get(kind=OrgKind.CITY_UNIT, name=department_name)
        label = name if index == 0 else f"{name}（{city.short_name}）"
        sector = sectors.create_sector(actor, code=code + suffix, name=label, department=department)
        for org in _members(city, below, members, department):
            sectors.join(actor, sector, org, joined_on)


def _members(city, below, members, department):
    if members == "villages":
        towns = below.filter(kind=OrgKind.TOWN).order_by("path")
        villages = below.filter(kind=OrgKind.VILLAGE).order_by("path")
        first = {}
        for village in villages:
            first.setdefault(village.path[: -Org.steplen], village)
        return [first[t.path] for t in towns if t.path in first]
    letter = "S" if members == "schools" else "H"
    # The district's own units: general branches right under a district.
    units = below.filter(kind=OrgKind.GENERAL_BRANCH, depth=city.depth + 2).order_by("path")
    return [department, *(o for o in units if o.code[-3:-2] == letter)]
