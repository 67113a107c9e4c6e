"""Layered settings: initializationOptions, the client's configuration, the project file,
the defaults (``factlint.lsp.config`` parses and merges them)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from factlint.errors import FactlintError
from factlint.lsp import config as sc


class SettingsMixin:
    """Mixed into the server: reads, merges and applies the settings layers."""

    # -- settings ------------------------------------------------------------------------
    def parse_layer(self, raw: Any, origin: str) -> tuple[sc.SettingsLayer, list[str]]:
        parsed = sc.parse_layer(raw, base=self.root, origin=origin)
        return parsed.layer, parsed.warnings

    def load_project_layer(self) -> list[str]:
        try:
            from factlint.project_config import load_project_config
        except ImportError as exc:  # pragma: no cover - only while the module is missing
            return [f"project config support unavailable: {exc}"]
        try:
            project = load_project_config(self.root)
        except FactlintError as exc:
            self.layers["project"] = sc.SettingsLayer()
            return [f"{exc} (project file ignored)"]
        except Exception as exc:
            self.layers["project"] = sc.SettingsLayer()
            return [f"could not read the project file: {exc}"]
        self.layers["project"] = (sc.layer_from_project(project) if project is not None
                                  else sc.SettingsLayer())
        self._project_file = project.path if project is not None else None
        return []

    async def fetch_client_layer(self) -> list[str]:
        if not self.caps.configuration:
            return []
        try:
            result = await asyncio.wait_for(self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(
                    scope_uri=from_fs_path(str(self.root)), section=sc.SECTION)])), 10)
        except Exception as exc:
            return [f"workspace/configuration failed: {exc}"]
        raw = result[0] if result else None
        self.set_client_layer(*self.parse_layer(raw, "workspace configuration"))
        return self._client_warnings

    def set_client_layer(self, layer: sc.SettingsLayer, warnings: list[str]) -> None:
        self.layers["client"] = layer
        self._client_warnings = warnings
        if self._client_baseline is None:
            self._client_baseline = layer

    def merged_settings(self) -> sc.ServerSettings:
        changed = sc.changed_keys(self._client_baseline, self.layers["client"])
        cleared = sc.cleared_keys(self._client_baseline, self.layers["client"])
        return sc.merge(changed, sc.without(self.layers["init"], cleared),
                        self.layers["client"], self.layers["project"])

    async def apply_settings(self, warnings: list[str]) -> None:
        """Apply the merged layers: new engine, new overrides, or just timing."""
        wanted = self.merged_settings()
        engine = self.engine
        if engine is None or wanted.engine_key() != self.settings.engine_key():
            self.settings = replace(wanted, severity={}, disable=())
            if engine is None:
                self.settings = wanted  # what a cached result is looked up with meanwhile
            self.settings_known.set()
            self.warn_user(warnings)
            await self.rebuild_engine(wanted)
            return
        restricted, more = sc.restrict_codes(wanted, set(engine.checks))
        warnings = warnings + more
        self.warn_user(warnings)
        if (dict(restricted.severity), tuple(restricted.disable)) != (
                dict(self.settings.severity), tuple(self.settings.disable)):
            def configure() -> None:
                engine.configure(severity=dict(restricted.severity),
                                 disable=list(restricted.disable))
            try:
                await self.loop.run_in_executor(self._check_executor, configure)
            except FactlintError as exc:
                self.warn_user([f"{exc}; keeping the previous severity/disable settings"])
                restricted = replace(restricted, severity=self.settings.severity,
                                     disable=self.settings.disable)
            self.generation += 1
        if restricted.show_supported != self.settings.show_supported:
            self.generation += 1  # every result is to be computed with (or without) them
        self.settings = restricted
        self.recheck_all()
        self.refresh_confirmed()

    async def reload_configuration(self, settings: object | None) -> None:
        """The client's configuration (or the project file) changed: re-read the layers."""
        warnings: list[str] = []
        if self.caps.configuration:
            warnings += await self.fetch_client_layer()
        elif settings is not None:
            self.set_client_layer(*self.parse_layer(settings, "didChangeConfiguration"))
            warnings = list(self._client_warnings)
        warnings += self.load_project_layer()
        await self.apply_settings(warnings)
