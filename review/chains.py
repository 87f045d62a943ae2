"""The routing chains of R4.1 to R4.6, as data loaded by a migration.

Each step names the applicant's pick that fills it (slot), the organisation kind it
must be, and optionally the administrative level or the district it must share with
another pick. The committee (the campaign's committee host) follows the last step.
"""

from __future__ import annotations

CHAINS: list[dict] = [
    {
        "code": "R4.1",
        "category": "city_public",
        "name": "市属事业单位、国有企业",
        "description": "申报人 → 所在单位 → 市级主管部门 → 评委会",
        "steps": [
            {"slot": "unit", "org_kind": "unit"},
            {"slot": "competent_department", "org_kind": "competent_department",
             "required_level": "city"},
        ],
    },
    {
        "code": "R4.2",
        "category": "district_public",
        "name": "区县属事业单位、国有企业",
        "description": "申报人 → 所在单位 → 区县主管部门 → 区县人力社保(职改)部门 → 评委会",
        "steps": [
            {"slot": "unit", "org_kind": "unit"},
            {"slot": "competent_department", "org_kind": "competent_department",
             "required_level": "district"},
            {"slot": "district_hr", "org_kind": "district_hr",
             "same_district_as": "competent_department"},
        ],
    },
    {
        "code": "R4.3",
        "category": "floating_cq_archive",
        "name": "非公有制单位、流动人员、自主择业军转干部(档案在重庆)",
        "description": "申报人 → 所在单位 → 人事代理机构 → 代理机构所在区县人力社保(职改)部门 → 评委会",
        "steps": [
            {"slot": "unit", "org_kind": "unit"},
            {"slot": "personnel_agency", "org_kind": "personnel_agency"},
            {"slot": "district_hr", "org_kind": "district_hr",
             "same_district_as": "personnel_agency"},
        ],
    },
    {
        "code": "R4.4",
        "category": "floating_remote_archive",
        "name": "非公有制单位、流动人员(档案在市外)",
        "description": "申报人(附异地查档记录) → 所在单位 → 社保缴纳地区县人力社保(职改)部门 → 评委会",
        "steps": [
            {"slot": "unit", "org_kind": "unit"},
            {"slot": "district_hr", "org_kind": "district_hr"},
        ],
    },
    {
        "code": "R4.5",
        "category": "freelancer",
        "name": "自由职业者",
        "description": "申报人 → 人事代理机构 → 代理机构所在区县人力社保(职改)部门 → 评委会",
        "steps": [
            {"slot": "personnel_agency", "org_kind": "personnel_agency"},
            {"slot": "district_hr", "org_kind": "district_hr",
             "same_district_as": "personnel_agency"},
        ],
    },
    {
        "code": "R4.6",
        "category": "out_of_city_unit",
        "name": "市外单位驻渝机构人员",
        "description": "申报人(附委托评审函) → 所在单位 → 驻渝最高管理机构 → 评委会",
        "steps": [
            {"slot": "unit", "org_kind": "unit"},
            {"slot": "management_body", "org_kind": "cq_management_body"},
        ],
    },
]


def load_chains(RoutingChain, ChainStep) -> None:  # type: ignore[no-untyped-def]  # noqa: N803
    """Create or update the chains; safe to run again (used by the data migration)."""
    for spec in CHAINS:
        chain, _ = RoutingChain.objects.update_or_create(
            code=spec["code"],
            defaults={
                "category": spec["category"],
                "name": spec["name"],
                "description": spec["description"],
            },
        )
        ChainStep.objects.filter(chain=chain).delete()
        for position, step in enumerate(spec["steps"]):
            ChainStep.objects.create(
                chain=chain,
                position=position,
                slot=step["slot"],
                org_kind=step["org_kind"],
                required_level=step.get("required_level", ""),
                same_district_as=step.get("same_district_as", ""),
            )
