"""The data files' parsed TOML is kept by the hash of their bytes: the same document, and any edit is read anew."""

from __future__ import annotations

from dti_cli.methodology import catalogue as C


def test_a_cached_parse_is_the_same_document_and_an_edit_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DTI_NO_CACHE", raising=False)
    f = tmp_path / "x.toml"
    f.write_text('a = "Sở TT&TT"\n[[b]]\nc = 1.5\nd = [1, 2]\n', encoding="utf-8")
    first, _raw = C.read_toml(f)
    assert list((tmp_path / "cache" / "dti").glob("toml-*.marshal"))
    again, _raw = C.read_toml(f)
    assert again == first == {"a": "Sở TT&TT", "b": [{"c": 1.5, "d": [1, 2]}]}
    f.write_text('a = "khác"\n', encoding="utf-8")
    assert C.read_toml(f)[0] == {"a": "khác"}


def test_a_broken_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    f = tmp_path / "x.toml"
    f.write_text("a = 1\n", encoding="utf-8")
    C.read_toml(f)
    for c in (tmp_path / "cache" / "dti").glob("toml-*.marshal"):
        c.write_bytes(b"dti-toml-1\ngarbage")
    assert C.read_toml(f)[0] == {"a": 1}
    monkeypatch.setenv("DTI_NO_CACHE", "1")
    assert C.read_toml(f)[0] == {"a": 1}
