"""The one YAML loader for files people write: front matter, sidecars, codebooks, settings.

PyYAML's safe loader still expands aliases: ten lines of `&a [*b, *b, ...]` (an "alias
bomb") make a structure of billions of items that hangs whatever walks it (an import storing
the metadata as JSON). Here an alias to a list or mapping is refused; an alias to one plain
value is harmless and allowed. Duplicate keys are refused with their lines instead of the
last one silently winning, and `id:` is kept as written: YAML 1.1 would read `id: 012` as
the octal number 10 and `id: 1:30` as 90 (base 60).
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import CollectionNode, MappingNode, ScalarNode

# keys whose value names something and must stay the text the person typed
VERBATIM_KEYS = {"id"}


class SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses 5x faster
    """yaml.SafeLoader without collection aliases or duplicate keys; `id` read as text."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, CollectionNode) and node in self.constructed_objects:
            raise ConstructorError(None, None, "aliases (*name) of lists or mappings are not "
                                   "allowed; write the values out", node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True) if isinstance(
                key_node, ScalarNode) else None
            if key is None:
                continue
            try:
                if key in seen:
                    raise ConstructorError(None, None, f"duplicate key '{key}' (first on line "
                                           f"{seen[key]}); keep one", key_node.start_mark)
            except TypeError:  # an unhashable key: SafeConstructor says so below
                continue
            seen[key] = key_node.start_mark.line + 1
            if (isinstance(key, str) and key.strip().lower() in VERBATIM_KEYS
                    and isinstance(value_node, ScalarNode) and not value_node.style
                    and value_node.tag != "tag:yaml.org,2002:null"):
                value_node.tag = "tag:yaml.org,2002:str"
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise ConstructorError(None, None, f"'{node.value}' is not a real date; write it "
                                   "as YYYY-MM-DD", node.start_mark) from None


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)


def load(text: str) -> Any:
    """Parse YAML text with `SafeLoader`; raises yaml.YAMLError (with a mark) on anything
    refused. Nesting too deep for Python's stack is refused the same way."""
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
