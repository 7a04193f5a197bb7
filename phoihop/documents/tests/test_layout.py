"""The document model: number lines and the choice of motto."""

from __future__ import annotations

import datetime as dt

import pytest

from phoihop.documents.layout import Document, Issuer


@pytest.mark.parametrize("issuer, expected", [
    (Issuer("X", number=15, issuer_abbr="BCHQS"), "Số: 15/BC-BCHQS"),
    (Issuer("X", number=5, issuer_abbr="BCHQS"), "Số: 05/BC-BCHQS"),
    (Issuer("X", number="09", issuer_abbr="BCHQS"), "Số: 09/BC-BCHQS"),
    (Issuer("X", number=15, kind_abbr="CTr", issuer_abbr="BCHQS"), "Số: 15/CTr-BCHQS"),
    (Issuer("X", number=15, symbol="BC-BDVTU"), "Số: 15/BC-BDVTU"),
    (Issuer("X", number=15, issuer_abbr="BDVTU", is_party=True), "Số 15-BC/BDVTU"),
    (Issuer("X", number=5, issuer_abbr="BDVTU", is_party=True), "Số 05-BC/BDVTU"),
    (Issuer("X", number=15, symbol="KH/BDVTU", is_party=True), "Số 15-KH/BDVTU"),
    (Issuer("X", number=None, issuer_abbr="BCHQS"), "Số:        /BC-BCHQS"),
    (Issuer("X", number=None, issuer_abbr="BDVTU", is_party=True), "Số       -BC/BDVTU"),
])
def test_the_number_line_follows_the_state_or_party_rules(issuer, expected):
    assert issuer.number_text() == expected


def test_the_motto_follows_the_lead_issuer_unless_forced():
    state, party = Issuer("A"), Issuer("B", is_party=True)
    day = dt.date(2019, 7, 9)
    assert not Document([state, party], "BÁO CÁO", "t", "Bắc Ninh", day).party_motto
    assert Document([party, state], "BÁO CÁO", "t", "Bắc Ninh", day).party_motto
    assert Document([state], "BÁO CÁO", "t", "Bắc Ninh", day, motto="party").party_motto
    assert not Document([party], "BÁO CÁO", "t", "Bắc Ninh", day, motto="state").party_motto
    assert Document([state, party], "BÁO CÁO", "t", "Bắc Ninh", day).is_joint
