"""Reading a YAML file so that every problem can name its line: each mapping remembers
the line of each key, and `path`/`line` turn a location in the data (as pydantic reports
it) into `kinds[7].fields.housholds` and its line number."""

import yaml
from django.utils.translation import gettext as _


class DefinitionError(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    line = 0

    def __init__(self):
        super().__init__()
        self.lines = {}


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicates.append((line, key))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        # Not a real date (2020-13-31): keep the text; the schema reports it by line.
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read(text, filename):
    loader = _Loader(text)
    loader.duplicates = []
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{filename}:{line}: {_('not valid YAML')}: {problem}"]) from None
    finally:
        loader.dispose()
    if not isinstance(document, Mapping):
        raise DefinitionError([f"{filename}:1: {_('the file must be a mapping of sections')}"])
    return document, loader.duplicates


def path(loc) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step != "[key]":
            out += f".{step}" if out else str(step)
    return out


def line(document, loc) -> int:
    """The line of the deepest key of `loc` that the file has (a missing key: its mapping)."""
    node, line = document, document.line
    for step in loc:
        if isinstance(node, Mapping):
            line = node.lines.get(step, node.line)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line
