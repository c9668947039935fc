# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route53's geolocation codes and their validation, and DNS names as compared, without any AWS SDK import.

Split from route53.py (which re-exports these names) so that the
geo_location_errors and dns_name filters stay cheap to load: ansible-core loads every filter
plugin of the collection in each task worker that uses one of them, and
route53.py imports botocore through amazon.aws.
"""

import re


def normalize_name(name):
    """DNS name as compared here: lower case, no trailing dot, octal escapes decoded."""
    if name is None:
        return None
    decoded = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), name)
    return decoded.lower().rstrip(".")


# ---------------------------------------------------------------------------
# What Route53 accepts (API reference, GeoLocation data type)
# ---------------------------------------------------------------------------

CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}

# ISO 3166-1 alpha-2 (249 codes). Route53 uses these country codes ("also UA").
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
    """.split()
)

# The GeoLocation API reference: SubdivisionCode is "the two-letter code for a
# state of the United States. Route 53 doesn't support any other values", and
# points at the USPS "Two-Letter State and Possession Abbreviations" list: the
# 50 states, DC and the possessions below (the military codes AA/AE/AP are not
# places and are left out). Other countries' subdivisions are not accepted here.
US_SUBDIVISIONS = frozenset(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
    MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
    DC AS FM GU MH MP PR PW VI
    """.split()
)
SUBDIVISIONS = {"US": US_SUBDIVISIONS}

DEFAULT_COUNTRY = "*"


class Route53ValidationError(ValueError):
    """One-line message naming the option and the value at fault (raised before any write)."""


class GeoLocationError(Route53ValidationError):
    """A geo_location Route53 would refuse."""


def validate_geo_location(geo, option="geo_location"):
    """Check a geo_location dict against Route53's lists; return the API GeoLocation.

    geo: {continent_code} | {country_code [, subdivision_code]}; country_code "*"
    is the default record. Raises GeoLocationError with a one-line message.
    """
    geo = dict((k, v) for k, v in (geo or {}).items() if v not in (None, ""))
    continent = geo.get("continent_code")
    country = geo.get("country_code")
    subdivision = geo.get("subdivision_code")
    if not (continent or country or subdivision):
        raise GeoLocationError("%s needs continent_code, or country_code (\"*\" for the default record)" % option)
    if continent and (country or subdivision):
        raise GeoLocationError(
            "%s: continent_code %r cannot be combined with country_code or subdivision_code" % (option, continent))
    if continent:
        code = str(continent).upper()
        if code not in CONTINENTS:
            raise GeoLocationError("%s.continent_code %r is not a Route53 continent code (%s)"
                                   % (option, continent, " ".join(sorted(CONTINENTS))))
        return {"ContinentCode": code}
    if subdivision and not country:
        raise GeoLocationError("%s.subdivision_code %r needs country_code" % (option, subdivision))
    code = str(country).upper()
    if code == DEFAULT_COUNTRY:
        if subdivision:
            raise GeoLocationError("%s.subdivision_code %r cannot be used with the default country_code \"*\""
                                   % (option, subdivision))
        return {"CountryCode": DEFAULT_COUNTRY}
    if code not in COUNTRIES:
        raise GeoLocationError("%s.country_code %r is not an ISO 3166-1 alpha-2 country code" % (option, country))
    result = {"CountryCode": code}
    if subdivision:
        sub = str(subdivision).upper()
        supported = SUBDIVISIONS.get(code)
        if supported is None:
            raise GeoLocationError("%s.subdivision_code %r: Route53 supports subdivisions only for %s, not country_code %r"
                                   % (option, subdivision, ", ".join(sorted(SUBDIVISIONS)), country))
        if sub not in supported:
            raise GeoLocationError("%s.subdivision_code %r is not a Route53 subdivision of %s" % (option, subdivision, code))
        result["SubdivisionCode"] = sub
    return result


def geo_location_key(geo):
    """A location as one string: 'continent:EU', 'country:DE', 'subdivision:US-TX', 'default'."""
    geo = geo or {}
    if geo.get("ContinentCode"):
        return "continent:" + geo["ContinentCode"]
    if geo.get("SubdivisionCode"):
        return "subdivision:%s-%s" % (geo.get("CountryCode"), geo["SubdivisionCode"])
    if geo.get("CountryCode") == DEFAULT_COUNTRY:
        return "default"
    if geo.get("CountryCode"):
        return "country:" + geo["CountryCode"]
    return None


def geo_location_to_ansible(geo):
    if not geo:
        return None
    out = {}
    for key, snake in (("ContinentCode", "continent_code"), ("CountryCode", "country_code"), ("SubdivisionCode", "subdivision_code")):
        if geo.get(key):
            out[snake] = geo[key]
    return out
