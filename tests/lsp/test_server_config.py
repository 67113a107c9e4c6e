"""Unit tests of the server's settings parsing and layering (no server process)."""

from __future__ import annotations

from pathlib import Path

from factlint.lsp import config as sc


def test_parse_accepts_both_spellings_and_the_section(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    parsed = sc.parse_layer({"factlint": {"corpus": ["corpus"], "debounce_ms": 0,
                                          "checkFrequency": "SAVE", "disable": "date"}},
                            base=tmp_path, origin="test")
    assert parsed.warnings == []
    assert parsed.layer.corpus == ((tmp_path / "corpus").resolve(),)
    assert parsed.layer.debounce_ms == 0
    assert parsed.layer.check_frequency is sc.CheckFrequency.SAVE
    assert parsed.layer.disable == ("date",)


def test_invalid_values_warn_and_fall_through(tmp_path: Path) -> None:
    parsed = sc.parse_layer({"debounceMs": -1, "checkFrequency": "often", "corpus": ["nope"],
                             "severity": {"date": "fatal", "place": "info"}, "extra": 1,
                             "disable": [3]}, base=tmp_path, origin="init")
    layer = parsed.layer
    assert layer.debounce_ms is None and layer.check_frequency is None
    assert layer.corpus is None and layer.disable is None
    assert layer.severity == {"place": "info"}
    assert len(parsed.warnings) == 6
    assert all(w.startswith("init: ") for w in parsed.warnings)
    merged = sc.merge(layer, sc.SettingsLayer(debounce_ms=50))
    assert merged.debounce_ms == 50
    assert merged.check_frequency is sc.CheckFrequency.CHANGE
    assert merged.corpus == ()


def test_not_an_object() -> None:
    parsed = sc.parse_layer(["x"], base=None, origin="init")
    assert parsed.layer == sc.SettingsLayer() and parsed.warnings


def test_merge_is_per_key_in_precedence_order() -> None:
    init = sc.SettingsLayer(disable=())
    client = sc.SettingsLayer(disable=("date",), debounce_ms=10)
    project = sc.SettingsLayer(disable=("place",), severity={"date": "hint"}, debounce_ms=99)
    merged = sc.merge(init, client, project)
    assert merged.disable == ()  # an explicit empty list is a value
    assert merged.debounce_ms == 10
    assert merged.severity == {"date": "hint"}


def test_changed_keys_only_reports_runtime_changes() -> None:
    first = sc.SettingsLayer(disable=(), debounce_ms=300)
    assert sc.changed_keys(None, first) == sc.SettingsLayer()
    assert sc.changed_keys(first, first) == sc.SettingsLayer()
    later = sc.SettingsLayer(disable=("date",), debounce_ms=300)
    assert sc.changed_keys(first, later) == sc.SettingsLayer(disable=("date",))


def test_restrict_codes() -> None:
    settings = sc.ServerSettings(severity={"date": "hint", "bogus": "info"},
                                 disable=("bogus", "place"))
    restricted, warnings = sc.restrict_codes(settings, {"date", "place"})
    assert restricted.severity == {"date": "hint"}
    assert restricted.disable == ("place",)
    assert len(warnings) == 2


def test_project_layer() -> None:
    from factlint.project_config import ProjectConfig

    project = ProjectConfig(path=Path("factlint.toml"), corpus=[Path("/c")], disable=["date"],
                            model="en_core_web_sm")
    layer = sc.layer_from_project(project)
    assert layer.corpus == (Path("/c"),) and layer.disable == ("date",)
    assert layer.rules is None and layer.severity is None and layer.model == "en_core_web_sm"


def test_cleared_setting_drops_the_start_up_snapshot() -> None:
    init = sc.SettingsLayer(disable=("quote-speaker",), debounce_ms=100)
    first = sc.SettingsLayer(disable=("quote-speaker",), debounce_ms=100)
    later = sc.SettingsLayer(debounce_ms=100)  # the user removed factlint.disable
    project = sc.SettingsLayer(disable=("date",))
    cleared = sc.cleared_keys(first, later)
    assert cleared == frozenset({"disable"})
    merged = sc.merge(sc.changed_keys(first, later), sc.without(init, cleared), later, project)
    assert merged.disable == ("date",)  # the project file decides now, not the snapshot
    assert merged.debounce_ms == 100
    assert sc.cleared_keys(None, later) == frozenset()
