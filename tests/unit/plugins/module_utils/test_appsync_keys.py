# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.keys import (
    DAY,
    HOUR,
    MANAGED_KEY_DESCRIPTION,
    desired_expiry,
    key_option_errors,
    masked_key,
    pick_managed_key,
    renewal_needed,
)

NOW = 1_800_000_000 + 1234  # not on the hour


def test_expiry_is_rounded_down_to_the_hour():
    expires = desired_expiry(NOW, 364)
    assert expires % HOUR == 0
    assert NOW + 364 * DAY - HOUR < expires <= NOW + 364 * DAY


def test_the_ceiling_keeps_an_hour_of_margin():
    # at 365 days, at most 365 days minus 1 hour, rounded down to the hour
    expires = desired_expiry(NOW, 365)
    assert expires % HOUR == 0
    assert NOW + 365 * DAY - 2 * HOUR < expires <= NOW + 365 * DAY - HOUR
    on_hour = 1_800_000_000 // HOUR * HOUR
    assert desired_expiry(on_hour, 365) == on_hour + 365 * DAY - HOUR
    assert desired_expiry(on_hour + HOUR - 1, 365) == on_hour + 365 * DAY - HOUR
    assert desired_expiry(on_hour + HOUR, 365) == on_hour + 365 * DAY
    # below the ceiling nothing is taken off
    assert desired_expiry(on_hour, 364) == on_hour + 364 * DAY


@pytest.mark.parametrize("skew_minutes", [0, 1, 5, 30, 59])
def test_a_controller_clock_ahead_of_aws_stays_inside_the_bound(skew_minutes):
    on_hour = 1_800_000_000 // HOUR * HOUR
    for offset in range(0, HOUR, 60):
        controller_now = on_hour + offset
        aws_now = controller_now - skew_minutes * 60
        expires = desired_expiry(controller_now, 365)
        assert expires // HOUR * HOUR == expires  # AWS's rounding changes nothing
        assert expires <= aws_now + 365 * DAY, (offset, skew_minutes)
        assert expires > controller_now + 364 * DAY


def test_one_day_expiry_never_falls_below_appsync_minimum():
    expires = desired_expiry(NOW, 1)
    assert expires % HOUR == 0
    assert NOW + DAY <= expires < NOW + DAY + HOUR


def test_on_the_hour_stays():
    on_hour = 1_800_000_000 // HOUR * HOUR
    assert desired_expiry(on_hour, 7) == on_hour + 7 * DAY
    assert desired_expiry(on_hour, 1) == on_hour + DAY


@pytest.mark.parametrize(
    "remaining, expected",
    [
        (30 * DAY, False),  # exactly the threshold left: not yet
        (30 * DAY - 1, True),  # one second under
        (200 * DAY, False),
        (0, True),
        (-5 * DAY, True),  # already expired
        (365 * DAY + HOUR, False),  # rounding slack
        (365 * DAY + HOUR + 1, True),  # outlives the wanted expiry
    ],
)
def test_renewal_boundaries(remaining, expected):
    assert renewal_needed(NOW + remaining, NOW, 365, 30) is expected


def test_lowering_expiry_days_renews():
    key_expires = desired_expiry(NOW, 365)
    assert renewal_needed(key_expires, NOW, 365, 30) is False
    assert renewal_needed(key_expires, NOW, 90, 30) is True
    # and the renewed key is then stable
    assert renewal_needed(desired_expiry(NOW, 90), NOW, 90, 30) is False


def test_a_fresh_key_is_stable_for_every_valid_setting():
    for days in (1, 2, 7, 31, 365):
        for renew in (0, days - 1):
            assert renewal_needed(desired_expiry(NOW, days), NOW, days, renew) is False, (days, renew)


@pytest.mark.parametrize(
    "expiry, renew, fragment",
    [
        (0, 0, "api_key_expiry_days must be between 1 and 365"),
        (366, 30, "got 366"),
        (7, 30, "api_key_renew_days must be at least 0 and lower than api_key_expiry_days (7), got 30"),
        (30, 30, "lower than api_key_expiry_days (30)"),
        (30, -1, "got -1"),
    ],
)
def test_option_errors(expiry, renew, fragment):
    errors = key_option_errors(expiry, renew)
    assert len(errors) == 1 and fragment in errors[0]


def test_option_defaults_are_valid():
    assert key_option_errors(365, 30) == []
    assert key_option_errors(1, 0) == []


def test_pick_managed_key_ignores_other_keys_and_takes_latest():
    keys = [
        {"id": "da2-other", "description": "someone else's", "expires": 9e9},
        {"id": "da2-old", "description": MANAGED_KEY_DESCRIPTION, "expires": 100},
        {"id": "da2-new", "description": MANAGED_KEY_DESCRIPTION, "expires": 200},
    ]
    assert pick_managed_key(keys)["id"] == "da2-new"
    assert pick_managed_key(keys[:1]) is None
    assert pick_managed_key([]) is None


def test_masked_key_hides_the_value():
    masked = masked_key({"id": "da2-abcdefghijkl", "description": "d", "expires": 1800000000})
    assert "id" not in masked and "value" not in masked
    assert masked["id_hint"] == "...ijkl"
    assert masked["expires_at"] == "2027-01-15T08:00:00Z"
    assert "da2-abcdefghijkl" not in repr(masked)
