"""MARC language codes: clean up what records hold (obsolete and malformed codes) and name
a language in the reader's own language for facets and "more in Spanish" links.
"""

from __future__ import annotations

from functools import lru_cache

import langcodes

# Codes LC retired; old records still carry them (DOMAIN.md §3). Map, don't reject.
# Source: loc.gov/marc/isochange_ann.html (changes for ISO 639-2 compatibility, 2000),
# plus the 2008 withdrawals of scc/scr and mol (Debian iso-codes iso_639-2.json).
OBSOLETE_CODES: dict[str, str] = {
    "cam": "khm",  # Khmer
    "esp": "epo",  # Esperanto
    "eth": "gez",  # Ethiopic
    "far": "fao",  # Faroese
    "fri": "fry",  # Frisian
    "gae": "gla",  # Scottish Gaelic
    "gal": "orm",  # Oromo
    "gua": "grn",  # Guarani
    "int": "ina",  # Interlingua
    "iri": "gle",  # Irish
    "kus": "kos",  # Kusaie
    "lan": "oci",  # Occitan (post-1500)
    "lap": "smi",  # Sami
    "max": "glv",  # Manx
    "mla": "mlg",  # Malagasy
    "sao": "smo",  # Samoan
    "sho": "sna",  # Shona
    "snh": "sin",  # Sinhalese
    "sso": "sot",  # Sotho
    "swz": "ssw",  # Swazi
    "tag": "tgl",  # Tagalog
    "taj": "tgk",  # Tajik
    "tar": "tat",  # Tatar
    "tru": "chk",  # Truk
    "tsw": "tsn",  # Tswana
    "scc": "srp",  # Serbian
    "scr": "hrv",  # Croatian
    "mol": "rum",  # Moldavian -> Romanian (MARC keeps the B code "rum")
}
# The 20 languages whose ISO 639-2 bibliographic (B) and terminology (T) codes
# differ (DOMAIN.md §3). MARC uses B; records and rosters sometimes carry T.
T_TO_B: dict[str, str] = {
    "sqi": "alb", "hye": "arm", "eus": "baq", "mya": "bur", "zho": "chi", "ces": "cze",
    "nld": "dut", "fra": "fre", "kat": "geo", "deu": "ger", "ell": "gre", "isl": "ice",
    "mkd": "mac", "mri": "mao", "msa": "may", "fas": "per", "ron": "rum", "slk": "slo",
    "bod": "tib", "cym": "wel",
}  # fmt: skip

# Decision: "esk" (Eskimo languages) was deleted in 2000 with no single successor; it is
# kept as it is rather than guessed.


def normalize_language_code(code: str) -> str | None:
    """Return the MARC (ISO 639-2/B) code for `code`, or None for blanks and garbage.

    Lower-cases, maps obsolete codes, and keeps mul/und/zxx/sgn and local qaa-qtz, which
    are legitimate MARC values. Anything that is not three letters is garbage.
    """
    if not code:
        return None
    code = code.strip().lower()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        return None
    code = OBSOLETE_CODES.get(code, code)
    code = T_TO_B.get(code, code)
    return code if _is_known(code) else None


@lru_cache(maxsize=2048)
def _is_known(code: str) -> bool:
    # langcodes knows all of ISO 639-2/3/5, so this only drops letter salad like "xxx".
    return langcodes.tag_is_valid(code)


@lru_cache(maxsize=4096)
def language_name(code: str, locale: str) -> str:
    """Name of a MARC language code in `locale` ("spa", "es" -> "español"); the code if unknown."""
    normal = normalize_language_code(code)
    if normal is None:
        return code
    try:
        language = langcodes.Language.get(normal)
        name = language.display_name(locale or "en")
    except (ValueError, LookupError):
        return code
    # langcodes says "Unknown language [xyz]" when it has no name; the code reads better.
    if name.endswith(f"[{normal}]") or name.endswith(f"[{language.language}]"):
        return code
    return name
