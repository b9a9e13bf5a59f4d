"""Regenerate seeds/country_reference.csv from the IANA (pytz) and CLDR (babel) tables.

Run once when the lookup needs refreshing: ``python -m livewh.tools.make_country_seed``.
The seed is committed; this script only documents where its values come from.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytz
from babel import languages, numbers

# Countries with several time zones: the zone where most of their shoppers live.
PRIMARY_ZONE = {
    "US": "America/New_York",
    "CA": "America/Toronto",
    "BR": "America/Sao_Paulo",
    "MX": "America/Mexico_City",
    "RU": "Europe/Moscow",
    "AU": "Australia/Sydney",
    "ID": "Asia/Jakarta",
    "CN": "Asia/Shanghai",
    "KZ": "Asia/Almaty",
    "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "EC": "America/Guayaquil",
    "MY": "Asia/Kuala_Lumpur",
    "DE": "Europe/Berlin",
    "NZ": "Pacific/Auckland",
    "UA": "Europe/Kyiv",
    "CD": "Africa/Kinshasa",
    "MN": "Asia/Ulaanbaatar",
    "UZ": "Asia/Tashkent",
    "PG": "Pacific/Port_Moresby",
    "KI": "Pacific/Tarawa",
    "FM": "Pacific/Pohnpei",
    "MH": "Pacific/Majuro",
    "PF": "Pacific/Tahiti",
    "CY": "Asia/Nicosia",
    "GL": "America/Nuuk",
}
NORTH_AMERICA = {"US", "CA", "BM", "PM", "GL"}
MIDDLE_EAST = {"AE", "SA", "QA", "KW", "BH", "OM", "IL", "PS", "JO", "LB", "IQ", "IR", "SY", "YE", "TR", "EG"}
SOUTH_EAST_ASIA = {"ID", "TH", "VN", "PH", "MY", "SG", "KH", "LA", "MM", "BN", "TL"}
EAST_ASIA = {"CN", "JP", "KR", "KP", "TW", "HK", "MO", "MN"}
SOUTH_ASIA = {"IN", "PK", "BD", "LK", "NP", "BT", "MV", "AF"}
CENTRAL_ASIA = {"KZ", "UZ", "TM", "KG", "TJ"}
# Languages CLDR lists first for a territory are not always the shopping language.
LANGUAGE_OVERRIDE = {
    "IN": "en",
    "PH": "en",
    "SG": "en",
    "MY": "ms",
    "CA": "en",
    "BE": "nl",
    "CH": "de",
    "LU": "fr",
    "PK": "en",
    "NG": "en",
    "KE": "en",
    "ZA": "en",
    "PY": "es",
    "PE": "es",
    "BO": "es",
    "HK": "zh",
    "MO": "zh",
    "AE": "ar",
    "IL": "he",
}


def region_of(code: str, zone: str) -> str:
    for region, members in (
        ("North America", NORTH_AMERICA),
        ("Middle East", MIDDLE_EAST),
        ("South-East Asia", SOUTH_EAST_ASIA),
        ("East Asia", EAST_ASIA),
        ("South Asia", SOUTH_ASIA),
        ("Central Asia", CENTRAL_ASIA),
    ):
        if code in members:
            return region
    prefix = zone.split("/")[0]
    return {
        "America": "Latin America",
        "Europe": "Europe",
        "Africa": "Africa",
        "Australia": "Oceania",
        "Pacific": "Oceania",
        "Atlantic": "Europe",
        "Indian": "Africa",
        "Asia": "Middle East" if code in MIDDLE_EAST else "Asia Other",
        "Arctic": "Europe",
        "Antarctica": "Other",
    }.get(prefix, "Other")


def rows() -> list[dict[str, str]]:
    out = []
    for code, name in sorted(pytz.country_names.items()):
        zones = pytz.country_timezones.get(code, [])
        if not zones:
            continue
        zone = PRIMARY_ZONE.get(code, zones[0])
        langs = languages.get_official_languages(code, de_facto=True)
        language = LANGUAGE_OVERRIDE.get(code, langs[0].split("_")[0] if langs else "en")
        currencies = numbers.get_territory_currencies(code)
        out.append(
            {
                "country_code": code,
                "country_name": name,
                "region": region_of(code, zone),
                "time_zone": zone,
                "default_language": language.lower(),
                "currency": currencies[0] if currencies else "USD",
            }
        )
    out.append(
        {
            "country_code": "ZZ",
            "country_name": "Unknown",
            "region": "Unknown",
            "time_zone": "UTC",
            "default_language": "en",
            "currency": "USD",
        }
    )
    return out


def main(path: str = "seeds/country_reference.csv") -> None:
    data = rows()
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    print(f"wrote {len(data)} countries to {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
