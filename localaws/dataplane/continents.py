"""Which continent a country is on, with Route53's continent codes (ISO 3166-1 alpha-2 countries).

A client that says only ``country=DE`` is also in continent EU, as a resolver's
GeoIP location would be; Route53 then answers from the DE record, else the EU
record, else ``*``. Assignment follows GeoNames (Route53's location list agrees
for every country this collection's inventories name).
"""

_COUNTRIES = {
    "AF": "DZ AO BJ BW BF BI CV CM CF TD KM CD CG CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU "
          "YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW",
    "AN": "AQ BV GS HM TF",
    "AS": "AF AM AZ BH BD BT BN KH CN GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP OM PK PS PH "
          "QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE IO CX CC",
    "EU": "AL AD AT BY BE BA BG HR CY CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI LT LU MT MD MC ME "
          "NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA AX",
    "NA": "AI AG AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM MQ MX MS NI PA PR BL KN LC MF "
          "PM VC SX TT TC US UM VI",
    "OC": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF",
    "SA": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
}
CONTINENTS = frozenset(_COUNTRIES)
CONTINENT_OF = {country: continent for continent, countries in _COUNTRIES.items() for country in countries.split()}


def continent_of(country_code):
    """Route53 continent code of an ISO country code, or None when unknown."""
    return CONTINENT_OF.get((country_code or "").upper())
