"""Both written forms of Norwegian are complete: every message of the portal is translated into
bokmål and nynorsk (the Language Act requires both at the same time), and the compiled
catalogues match their sources."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["nb", "nn"]


def parse_po(path):
    """[(flags, msgid, [msgstr, ...])] of a .po file, header and obsolete entries left out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            msgstrs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((flags, fields["msgid"], msgstrs))
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    untranslated = [msgid for flags, msgid, msgstrs in entries if not all(msgstrs)]
    fuzzy = [msgid for flags, msgid, msgstrs in entries if "fuzzy" in flags]
    assert untranslated == [], f"{language}: untranslated messages"
    assert fuzzy == [], f"{language}: fuzzy (unchecked) translations"


def test_bokmal_and_nynorsk_have_the_same_messages():
    ids = [
        {msgid for _, msgid, _ in parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")}
        for lang in LANGUAGES
    ]
    assert ids[0] == ids[1]


def test_nynorsk_is_nynorsk_not_a_copy_of_bokmal():
    catalogues = [
        {
            msgid: msgstrs
            for _, msgid, msgstrs in parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
        }
        for lang in LANGUAGES
    ]
    nb, nn = catalogues
    differing = sum(1 for msgid in nb if nb[msgid] != nn.get(msgid))
    # Many short words are the same in both; a real nynorsk catalogue differs in many messages.
    assert differing > len(nb) // 4
