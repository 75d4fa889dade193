import pytest
from django.core.exceptions import ImproperlyConfigured

from taizhang.env import env_bool, env_int, env_list


def test_it_parses_booleans_strictly(monkeypatch):
    monkeypatch.setenv("X", "yes")
    assert env_bool("X") is True
    monkeypatch.setenv("X", "0")
    assert env_bool("X", True) is False
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X='maybe'"):
        env_bool("X")


def test_it_parses_integers_strictly(monkeypatch):
    monkeypatch.delenv("N", raising=False)
    assert env_int("N", 7) == 7
    monkeypatch.setenv("N", "12")
    assert env_int("N", 7) == 12
    monkeypatch.setenv("N", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 7)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 7, minimum=1)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("L", "a.example, b.example,")
    assert env_list("L", []) == ["a.example", "b.example"]
