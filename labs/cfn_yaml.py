"""CloudFormation templates as data: YAML whose short-form intrinsic functions (!Ref, !Sub, !If ...) load as the
long form ({"Ref": ...}, {"Fn::Sub": ...}), so code can read a template's parameters and policies."""

import yaml


class _TemplateLoader(yaml.SafeLoader):
    pass


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_TemplateLoader.add_multi_constructor("!", _intrinsic)


def load_template(text: str) -> dict:
    return yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 (a SafeLoader subclass)
