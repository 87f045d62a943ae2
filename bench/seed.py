"""Seed a benchmark database with realistic declarations, fast: PostgreSQL COPY, no ORM.

    DJANGO_SETTINGS_MODULE=config.settings.bench python -m bench.seed --declarations 100000

What it builds, for N declarations (proportions in ``STATE_MIX`` and ``CATEGORY_MIX``):

- the organisations of a city: the committee host and approval body, a human-resources
  department per district, city and district competent departments, a personnel agency
  per district, management bodies, and N/20 units, each with one title administrator;
- three campaigns (two closed years, the current one open for filing);
- N applicants, one declaration each: 30 % in the closed campaigns, in final states;
  70 % in the current one, across drafts, review at every step, unit publicity,
  returns (deadlines ahead), the committee check and the rest; every submitted one
  with its route, its fee, a submit audit row and a notification;
- running unit publicity batches for the candidates in publicity;
- an API token for every applicant of a submittable draft (the submit scenario's pool)
  and for every administrator.

``seed_due_returns(n)`` adds n returned declarations whose correction deadline has
passed, for the sweep scenario. Everything is deterministic (``random.Random(seed)``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.enums import District  # noqa: E402
from accounts.validators import id_number_check_digit  # noqa: E402
from declarations.enums import Field, Level  # noqa: E402

NULL = r"\N"
PASSWORD = "bench-2026"
DISTRICTS = [d for d in District.values if d != District.CITY]
LEVELS = Level.values
FIELDS = Field.values
FEES = {
    "technician": "120",
    "assistant_engineer": "120",
    "engineer": "240",
    "senior_engineer": "420",
    "professor_engineer": "420",
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云"
    "莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖"
    "露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘"
    "育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
)

# Current campaign: share of declarations per state.
STATE_MIX = [
    ("draft", 0.15),
    ("in_review", 0.40),
    ("unit_publicity", 0.05),
    ("returned", 0.08),
    ("committee_check", 0.20),
    ("accepted", 0.05),
    ("withdrawn", 0.02),
    ("not_recommended", 0.05),
]
# Closed campaigns: final states.
PAST_STATE_MIX = [
    ("certified", 0.40),
    ("failed", 0.20),
    ("not_recommended", 0.10),
    ("not_accepted", 0.05),
    ("abandoned", 0.05),
    ("withdrawn", 0.10),
    ("terminated", 0.10),
]
CATEGORY_MIX = [
    ("city_public", 0.35),
    ("district_public", 0.35),
    ("floating_cq_archive", 0.10),
    ("floating_remote_archive", 0.05),
    ("freelancer", 0.10),
    ("out_of_city_unit", 0.05),
]
# The slots of each chain, in order (review/chains.py; RULES R4).
CHAIN_SLOTS = {
    "city_public": ["unit", "competent_department"],
    "district_public": ["unit", "competent_department", "district_hr"],
    "floating_cq_archive": ["unit", "personnel_agency", "district_hr"],
    "floating_remote_archive": ["unit", "district_hr"],
    "freelancer": ["personnel_agency", "district_hr"],
    "out_of_city_unit": ["unit", "management_body"],
}
SLOTS = ["unit", "competent_department", "personnel_agency", "district_hr", "management_body"]
SUBMITTABLE = ("city_public", "district_public")


def _pick(rng: random.Random, mix: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    for value, share in mix:
        x -= share
        if x < 0:
            return value
    return mix[-1][0]


def _ts(value: dt.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _v(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY rows into ``table`` in chunks of 50,000; return how many were written."""
    count = 0
    buf = io.StringIO()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2 cursor under Django's wrapper
        for row in rows:
            buf.write("\t".join(_v(v) for v in row))
            buf.write("\n")
            count += 1
            if count % 50_000 == 0:
                buf.seek(0)
                raw.copy_expert(sql, buf)
                buf = io.StringIO()
        if buf.tell():
            buf.seek(0)
            raw.copy_expert(sql, buf)
    return count


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def reset_sequences(tables: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def id_number(serial: int) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=serial // 900)
    first17 = f"{DISTRICTS[serial % len(DISTRICTS)]}{birth:%Y%m%d}{100 + serial % 900:03d}"
    return first17 + id_number_check_digit(first17)


@dataclass
class Org:
    id: int
    kind: str
    level: str
    district: str
    superior: int | None = None


@dataclass
class World:
    now: dt.datetime
    password: str
    committee_host: Org
    approval_body: Org
    district_hr: dict[str, Org] = field(default_factory=dict)
    agency: dict[str, Org] = field(default_factory=dict)
    city_departments: list[Org] = field(default_factory=list)
    district_departments: dict[str, list[Org]] = field(default_factory=dict)
    management_bodies: list[Org] = field(default_factory=list)
    units: list[Org] = field(default_factory=list)
    campaigns: dict[str, int] = field(default_factory=dict)  # "current", "past1", "past2"
    chains: dict[str, int] = field(default_factory=dict)
    content_type_declaration: int = 0
    admin_of: dict[int, int] = field(default_factory=dict)  # org id -> admin user id


class Ids:
    """Hands out ids per table, starting after what the table holds."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, table: str) -> int:
        if table not in self._next:
            self._next[table] = next_id(table)
        value = self._next[table]
        self._next[table] = value + 1
        return value


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_world(n_declarations: int, rng: random.Random, ids: Ids) -> World:
    """Organisations (with one administrator each) and campaigns."""
    now = timezone.now()
    password = make_password(PASSWORD)
    orgs: list[tuple] = []

    def org(kind: str, name: str, level: str, district: str, superior: int | None = None) -> Org:
        o = Org(ids.take("accounts_organisation"), kind, level, district, superior)
        orgs.append(
            (
                o.id,
                name,
                kind,
                level,
                district,
                NULL,
                _person_name(rng),
                f"023{o.id:08d}",
                f"023{o.id + 1:08d}",
                True,
                now,
                NULL,
                superior,
            )
        )
        return o

    w = World(
        now=now,
        password=password,
        committee_host=org("committee_host", "重庆市数字技术专业职称评审委员会(基准)", "city", District.CITY),
        approval_body=org("approval_body", "重庆市人力资源和社会保障局(基准)", "city", District.CITY),
    )
    for d in DISTRICTS:
        label = District(d).label
        w.district_hr[d] = org("district_hr", f"{label}人力资源和社会保障局(基准)", "district", d)
        w.agency[d] = org("personnel_agency", f"{label}人才交流服务中心(基准)", "district", d)
        w.district_departments[d] = [
            org("competent_department", f"{label}{s}(基准)", "district", d)
            for s in ("科学技术局", "经济和信息化委员会")
        ]
    for i in range(30):
        w.city_departments.append(
            org("competent_department", f"重庆市第{i + 1}主管委办局(基准)", "city", District.CITY)
        )
    for i in range(20):
        w.management_bodies.append(
            org("cq_management_body", f"某集团{i + 1}驻渝总部(基准)", "city", District.CITY)
        )
    for i in range(max(50, n_declarations // 20)):
        d = DISTRICTS[i % len(DISTRICTS)]
        superior = rng.choice(w.city_departments + w.district_departments[d])
        w.units.append(org("unit", f"重庆某数字科技有限公司{i + 1:06d}(基准)", "district", d, superior.id))
    copy_rows(
        "accounts_organisation",
        [
            "id",
            "name",
            "kind",
            "level",
            "district",
            "credit_code",
            "contact_person",
            "contact_phone",
            "complaint_phone",
            "is_active",
            "registered_at",
            "registered_by_id",
            "superior_id",
        ],
        orgs,
    )

    # One administrator per organisation.
    users, bindings = [], []
    for o in orgs:
        uid = ids.take("accounts_user")
        w.admin_of[o[0]] = uid
        users.append(
            _user_row(uid, f"admin{o[0]}", _person_name(rng), id_number(10_000_000 + uid), password, now)
        )
        bindings.append((ids.take("accounts_titleadministrator"), True, now, NULL, o[0], uid))
    copy_rows("accounts_user", USER_COLUMNS, users)
    copy_rows(
        "accounts_titleadministrator",
        ["id", "is_active", "bound_at", "unbound_at", "organisation_id", "user_id"],
        bindings,
    )

    year = timezone.localdate().year
    campaigns = []
    for key, y, opens, closes in (
        ("past2", year - 2, now - dt.timedelta(days=730), now - dt.timedelta(days=700)),
        ("past1", year - 1, now - dt.timedelta(days=365), now - dt.timedelta(days=335)),
        ("current", year, now - dt.timedelta(days=20), now + dt.timedelta(days=40)),
    ):
        cid = ids.take("declarations_campaign")
        w.campaigns[key] = cid
        campaigns.append(
            (
                cid,
                f"{y}年度数字技术职称评审(基准{cid})",
                y,
                opens,
                closes,
                closes + dt.timedelta(days=20),
                dt.date(y, 12, 31),
                NULL,
                "420",
                "240",
                "120",
                w.approval_body.id,
                w.committee_host.id,
            )
        )
    copy_rows(
        "declarations_campaign",
        [
            "id",
            "name",
            "year",
            "filing_opens_at",
            "filing_closes_at",
            "chain_deadline",
            "work_years_cutoff",
            "material_valid_until",
            "fee_senior",
            "fee_intermediate",
            "fee_junior",
            "approval_body_id",
            "committee_host_id",
        ],
        campaigns,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT category, id FROM review_routingchain")
        w.chains = dict(cursor.fetchall())
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label='declarations' AND model='declaration'"
        )
        w.content_type_declaration = cursor.fetchone()[0]
    return w


USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "real_name",
    "id_number",
    "phone",
]


def _user_row(uid: int, username: str, name: str, idn: str, password: str, now: dt.datetime) -> tuple:
    return (
        uid,
        password,
        NULL,
        False,
        username,
        "",
        "",
        f"{username}@bench.example.cn",
        False,
        True,
        now,
        name,
        idn,
        f"139{uid % 100_000_000:08d}",
    )


def _picks(w: World, rng: random.Random, category: str) -> dict[str, Org | None]:
    unit = rng.choice(w.units)
    d = unit.district
    picks: dict[str, Org | None] = dict.fromkeys(SLOTS)
    if category == "city_public":
        picks["unit"] = unit
        picks["competent_department"] = rng.choice(w.city_departments)
    elif category == "district_public":
        picks["unit"] = unit
        picks["competent_department"] = rng.choice(w.district_departments[d])
        picks["district_hr"] = w.district_hr[d]
    elif category == "floating_cq_archive":
        picks["unit"] = unit
        picks["personnel_agency"] = w.agency[d]
        picks["district_hr"] = w.district_hr[d]
    elif category == "floating_remote_archive":
        picks["unit"] = unit
        picks["district_hr"] = w.district_hr[d]
    elif category == "freelancer":
        picks["personnel_agency"] = w.agency[d]
        picks["district_hr"] = w.district_hr[d]
    else:
        picks["unit"] = unit
        picks["management_body"] = rng.choice(w.management_bodies)
    return picks


DECLARATION_COLUMNS = [
    "id",
    "level",
    "field",
    "declaration_type",
    "category",
    "state",
    "current_step",
    "returned_by_committee",
    "committee_submissions",
    "integrity_signed_at",
    "integrity_signed_ip",
    "submitted_at",
    "state_changed_at",
    "created_at",
    "updated_at",
    "applicant_id",
    "campaign_id",
    "chain_id",
    "competent_department_id",
    "current_organisation_id",
    "district_hr_id",
    "management_body_id",
    "personnel_agency_id",
    "unit_id",
    "correction_due_at",
    "last_reminded_on",
]


@dataclass
class Batch:
    users: list = field(default_factory=list)
    declarations: list = field(default_factory=list)
    route: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    audit: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    entries: list = field(default_factory=list)  # (declaration id, unit org)
    pool: list = field(default_factory=list)  # (user id, declaration id) submittable drafts

    def flush(self) -> None:
        copy_rows("accounts_user", USER_COLUMNS, self.users)
        copy_rows("declarations_declaration", DECLARATION_COLUMNS, self.declarations)
        copy_rows(
            "review_routestep", ["id", "position", "slot", "declaration_id", "organisation_id"], self.route
        )
        copy_rows(
            "declarations_payment",
            [
                "id",
                "amount",
                "status",
                "method",
                "reference",
                "confirmed_at",
                "created_at",
                "confirmed_by_id",
                "declaration_id",
            ],
            self.payments,
        )
        copy_rows(
            "core_auditevent",
            [
                "id",
                "at",
                "action",
                "object_id",
                "from_state",
                "to_state",
                "reason",
                "data",
                "actor_id",
                "content_type_id",
            ],
            self.audit,
        )
        copy_rows(
            "core_notification",
            [
                "id",
                "kind",
                "title",
                "body",
                "url",
                "created_at",
                "read_at",
                "emailed_at",
                "email_attempts",
                "recipient_id",
            ],
            self.notifications,
        )
        for name in ("users", "declarations", "route", "payments", "audit", "notifications"):
            getattr(self, name).clear()


def add_declaration(
    w: World,
    rng: random.Random,
    ids: Ids,
    batch: Batch,
    *,
    campaign: str,
    state: str,
    due: dt.datetime | None = None,
) -> int:
    """Append one applicant and one declaration in ``state`` (with its route) to ``batch``."""
    now = w.now
    uid = ids.take("accounts_user")
    batch.users.append(_user_row(uid, f"a{uid}", _person_name(rng), id_number(uid), w.password, now))
    did = ids.take("declarations_declaration")
    category = _pick(rng, CATEGORY_MIX)
    if state == "draft" and rng.random() < 0.8:
        category = rng.choice(SUBMITTABLE)
    picks = _picks(w, rng, category)
    route = [(slot, picks[slot]) for slot in CHAIN_SLOTS[category]]
    level = rng.choice(LEVELS)
    age = dt.timedelta(days={"current": 0, "past1": 365, "past2": 730}[campaign])
    created = now - age - dt.timedelta(days=rng.uniform(1, 19), seconds=rng.randrange(86_400))
    submitted = None if state == "draft" else created + dt.timedelta(hours=rng.uniform(1, 48))
    changed = submitted + dt.timedelta(hours=rng.uniform(0, 200)) if submitted else None
    if changed and changed > now:
        changed = now - dt.timedelta(seconds=rng.randrange(3600))
    step, current, committee = None, None, 0
    returned_by_committee = False
    correction_due = None
    if state in ("in_review", "unit_publicity", "returned", "not_recommended"):
        step = 0 if state == "unit_publicity" else rng.randrange(len(route))
        if state == "unit_publicity" and route[0][0] != "unit":
            state = "in_review"
        current = route[step][1].id if state != "not_recommended" else None
    elif state in ("committee_check", "accepted"):
        committee = 1
        current = w.committee_host.id if state == "committee_check" else None
    if state == "returned":
        correction_due = due or now + dt.timedelta(days=rng.uniform(1, 7))
        if rng.random() < 0.1:
            returned_by_committee = True
            current, step = w.committee_host.id, None
    chain = w.chains[category] if state != "draft" else None
    org_id = {slot: (o.id if o else None) for slot, o in picks.items()}
    batch.declarations.append(
        (
            did,
            level,
            rng.choice(FIELDS),
            "normal",
            category,
            state,
            step,
            returned_by_committee,
            committee,
            submitted,
            "127.0.0.1" if submitted else None,
            submitted,
            changed,
            created,
            changed or created,
            uid,
            w.campaigns[campaign],
            chain,
            org_id["competent_department"],
            current,
            org_id["district_hr"],
            org_id["management_body"],
            org_id["personnel_agency"],
            org_id["unit"],
            correction_due,
            None,
        )
    )
    if state == "draft":
        if category in SUBMITTABLE and campaign == "current":
            batch.pool.append((uid, did))
        return did
    for position, (slot, o) in enumerate(route):
        batch.route.append((ids.take("review_routestep"), position, slot, did, o.id))
    batch.payments.append(
        (ids.take("declarations_payment"), FEES[level], "pending", "", "", None, submitted, None, did)
    )
    batch.audit.append(
        (
            ids.take("core_auditevent"),
            submitted,
            "submit",
            str(did),
            "draft",
            "in_review",
            "",
            json.dumps({"rules": ["R5.1", "R5.2", "R8.3"]}),
            uid,
            w.content_type_declaration,
        )
    )
    target = route[0][1]
    batch.notifications.append(
        (
            ids.take("core_notification"),
            "review_waiting",
            "有一份职称申报待贵机构审核",
            "",
            f"/declarations/{did}/",
            submitted,
            None,
            submitted,
            0,
            w.admin_of[target.id],
        )
    )
    if state == "unit_publicity":
        batch.entries.append((did, route[0][1]))
    return did


def write_publicity(w: World, ids: Ids, entries: list[tuple[int, Org]]) -> None:
    """One running batch per unit for its candidates in publicity (R6.3)."""
    by_unit: dict[int, list[int]] = {}
    units = {}
    for did, unit in entries:
        by_unit.setdefault(unit.id, []).append(did)
        units[unit.id] = unit
    now = w.now
    batches, rows = [], []
    for n, (unit_id, dids) in enumerate(by_unit.items()):
        bid = ids.take("review_publicitybatch")
        starts = now - dt.timedelta(days=1 + n % 4, hours=n % 24)
        batches.append(
            (
                bid,
                f"关于{unit_id}号单位2026年度职称申报人选的公示",
                5,
                starts,
                starts + dt.timedelta(days=7 + n % 3),
                "023-6000 0000 人事处",
                "本单位公告栏",
                starts,
                w.admin_of[unit_id],
                unit_id,
            )
        )
        superior = units[unit_id].superior or w.committee_host.id
        rows.extend(
            (ids.take("review_publicityentry"), "on_publicity", None, bid, did, superior) for did in dids
        )
    copy_rows(
        "review_publicitybatch",
        [
            "id",
            "title",
            "working_days",
            "starts_at",
            "ends_at",
            "unit_contact",
            "offline_location",
            "created_at",
            "published_by_id",
            "unit_id",
        ],
        batches,
    )
    copy_rows(
        "review_publicityentry",
        ["id", "status", "released_at", "batch_id", "declaration_id", "superior_id"],
        rows,
    )


def vacuum(*tables: str) -> None:
    """VACUUM ANALYZE the seeded tables, as autovacuum would after a bulk load: statistics
    for the planner and the visibility map that lets counts use index-only scans."""
    with connection.cursor() as cursor:
        for table in tables or (*ALL_TABLES, "authtoken_token"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def write_tokens(user_ids: Iterable[int]) -> dict[int, str]:
    now = timezone.now()
    tokens = {uid: secrets.token_hex(20) for uid in user_ids}
    copy_rows(
        "authtoken_token", ["key", "created", "user_id"], ((key, now, uid) for uid, key in tokens.items())
    )
    return tokens


ALL_TABLES = [
    "accounts_organisation",
    "accounts_user",
    "accounts_titleadministrator",
    "declarations_campaign",
    "declarations_declaration",
    "review_routestep",
    "declarations_payment",
    "core_auditevent",
    "core_notification",
    "review_publicitybatch",
    "review_publicityentry",
]


@dataclass
class Seeded:
    world: World
    pool: list[tuple[int, int, str]]  # (user id, declaration id, token) of submittable drafts
    admin_tokens: dict[int, str]  # org id -> token of its administrator
    seconds: float


def seed(n_declarations: int, *, seed_value: int = 2026, progress: bool = True) -> Seeded:
    """Seed ``n_declarations`` declarations into the (migrated, empty) database."""
    started = time.monotonic()
    rng = random.Random(seed_value)  # noqa: S311 - reproducible test data
    ids = Ids()
    with transaction.atomic():
        w = build_world(n_declarations, rng, ids)
        batch = Batch()
        for i in range(n_declarations):
            if rng.random() < 0.30:
                add_declaration(
                    w,
                    rng,
                    ids,
                    batch,
                    campaign=rng.choice(("past1", "past2")),
                    state=_pick(rng, PAST_STATE_MIX),
                )
            else:
                add_declaration(w, rng, ids, batch, campaign="current", state=_pick(rng, STATE_MIX))
            if len(batch.declarations) >= 50_000:
                batch.flush()
                if progress:
                    print(f"  seeded {i + 1:,} declarations ({time.monotonic() - started:.0f} s)", flush=True)
        batch.flush()
        write_publicity(w, ids, batch.entries)
        tokens = write_tokens(uid for uid, _did in batch.pool)
        admin_tokens = write_tokens(w.admin_of.values())
        reset_sequences(ALL_TABLES)
    vacuum()
    pool = [(uid, did, tokens[uid]) for uid, did in batch.pool]
    by_user = {uid: org for org, uid in w.admin_of.items()}
    return Seeded(w, pool, {by_user[u]: t for u, t in admin_tokens.items()}, time.monotonic() - started)


def seed_due_returns(world: World, n: int, *, seed_value: int = 7) -> float:
    """Add ``n`` returned declarations whose correction deadline passed an hour ago."""
    started = time.monotonic()
    rng = random.Random(seed_value)  # noqa: S311 - reproducible test data
    ids = Ids()
    due = timezone.now() - dt.timedelta(hours=1)
    with transaction.atomic():
        batch = Batch()
        for _ in range(n):
            add_declaration(world, rng, ids, batch, campaign="current", state="returned", due=due)
            if len(batch.declarations) >= 50_000:
                batch.flush()
        batch.flush()
        reset_sequences(ALL_TABLES)
    vacuum("declarations_declaration")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    result = seed(args.declarations, seed_value=args.seed)
    print(
        f"seeded {args.declarations:,} declarations in {result.seconds:.1f} s; "
        f"{len(result.pool):,} submittable drafts"
    )


if __name__ == "__main__":
    main()
