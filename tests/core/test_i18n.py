"""The English catalogue is complete, and pages and API errors follow the chosen language."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.validators import id_number_check_digit
from tests.factories import UserFactory

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

HEADING_ZH = "数字技术职称网上申报与评审"
HEADING_EN = "Online Declaration and Review of Digital Technology Professional Titles"
CHECK_DIGIT_ZH = "身份证号码校验位不正确，请核对。"
CHECK_DIGIT_EN = "The check digit of the ID card number is incorrect; please check it."


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    # PO strings use C escapes (\" \\ \n \t), which a Python string literal reads the same.
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[PoEntry]:
    """A minimal .po reader: active entries with their flags; obsolete (#~) entries skipped."""
    entries: list[PoEntry] = []
    current: PoEntry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def append(key: tuple[str, int], text: str) -> None:
        assert current is not None
        name, index = key
        if name == "msgctxt":
            return  # the context does not matter here
        if name == "msgid":
            current.msgid += text
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        else:
            current.msgstrs[index] = current.msgstrs.get(index, "") + text

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            target = None
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation line outside an entry"
            append(target, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstrs or keyword == "msgctxt"):
            current = PoEntry(flags=pending_flags, line=number)
            entries.append(current)
            pending_flags = set()
        if keyword == "msgctxt":
            target = ("msgctxt", 0)
            continue
        assert current is not None, f"{path}:{number}: {keyword} before msgid"
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgid", "msgid_plural"):
            target = (keyword, 0)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
        elif match:
            target = ("msgstr", int(match.group(1)))
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
        append(target, _unquote(rest))
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing; run `make messages`"
    return parse_po(PO_PATH)


def test_po_has_header_and_messages(po_entries):
    header = [e for e in po_entries if e.msgid == ""]
    assert len(header) == 1
    assert "Language: en" in header[0].msgstrs[0]
    assert len(po_entries) > 100


def test_po_has_no_fuzzy_entries(po_entries):
    fuzzy = [e.msgid or "(header)" for e in po_entries if "fuzzy" in e.flags]
    assert fuzzy == [], f"fuzzy entries are ignored when compiling: {fuzzy}"


def test_po_has_no_untranslated_entries(po_entries):
    untranslated = [
        e.msgid
        for e in po_entries
        if e.msgid and (not e.msgstrs or any(not s.strip() for s in e.msgstrs.values()))
    ]
    assert untranslated == []


def test_po_plural_entries_have_both_forms(po_entries):
    for e in po_entries:
        if e.msgid_plural is not None:
            assert sorted(e.msgstrs) == [0, 1], e.msgid


def test_po_translations_keep_placeholders(po_entries):
    for e in po_entries:
        if not e.msgid:
            continue
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        for msgstr in e.msgstrs.values():
            assert sorted(PLACEHOLDER.findall(msgstr)) == expected, e.msgid


def test_po_translations_are_english(po_entries):
    # Document numbers such as 国办发明电〔2024〕12号 are quoted as they are; nothing else is Chinese.
    cjk = re.compile(r"[\u4e00-\u9fff]")
    leftovers = [
        e.msgid for e in po_entries for s in e.msgstrs.values() if e.msgid and cjk.search(s) and "〔" not in s
    ]
    assert leftovers == []


# Pages.


def _home(client, **headers):
    response = client.get(reverse("core:home"), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_home_in_english_with_accept_language(client, db):
    content = _home(client, accept_language="en")

    assert HEADING_EN in content
    assert HEADING_ZH not in content
    assert '<html lang="en">' in content


def test_home_in_chinese_with_accept_language(client, db):
    content = _home(client, accept_language="zh-hans")

    assert HEADING_ZH in content
    assert HEADING_EN not in content
    assert '<html lang="zh-hans">' in content


def test_home_defaults_to_chinese(client, db):
    content = _home(client)

    assert HEADING_ZH in content
    assert HEADING_EN not in content


def test_home_in_english_with_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = _home(client, accept_language="zh-hans")

    assert HEADING_EN in content
    assert HEADING_ZH not in content


def test_set_language_switches_to_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    content = _home(client)
    assert HEADING_EN in content
    assert HEADING_ZH not in content

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    content = _home(client)
    assert HEADING_ZH in content
    assert HEADING_EN not in content


# API errors.


def _bad_id_number() -> str:
    base = "11010519491231002"
    right = id_number_check_digit(base)
    return base + ("1" if right != "1" else "2")


def _register(client, language: str):
    payload = {
        "username": "i18n-applicant",
        "password": "Quiet-harbour-7219",
        "real_name": "李明",
        "id_number": _bad_id_number(),
        "phone": "13800138000",
    }
    return client.post(
        reverse("api:register"),
        data=json.dumps(payload),
        content_type="application/json",
        headers={"accept-language": language},
    )


def test_api_error_detail_in_english(client, db):
    response = _register(client, "en")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_number_check_digit"
    assert body["field"] == "id_number"
    assert body["detail"] == CHECK_DIGIT_EN


def test_api_error_detail_in_chinese(client, db):
    response = _register(client, "zh-hans")

    assert response.status_code == 400
    assert response.json()["detail"] == CHECK_DIGIT_ZH


def test_api_not_found_follows_language(client, db):
    client.force_login(UserFactory())
    url = reverse("api:declaration", args=[999999])

    english = client.get(url, headers={"accept-language": "en"})
    chinese = client.get(url, headers={"accept-language": "zh-hans"})

    assert english.status_code == chinese.status_code == 404
    assert english.json() == {"code": "not_found", "detail": "Not found."}
    assert chinese.json()["code"] == "not_found"
    assert re.search(r"[\u4e00-\u9fff]", chinese.json()["detail"])
