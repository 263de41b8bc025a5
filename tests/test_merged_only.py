"""formats.merged.read_merged(only=…): the sheets asked for, read the same as a full read; the others left unparsed."""

from __future__ import annotations

from test_report import write_merged_round

from dti_cli.formats.merged import read_merged


def test_only_the_sheets_asked_for(tmp_path, ctx):
    write_merged_round(ctx, tmp_path / "merged.xlsx")
    full = read_merged(tmp_path / "merged.xlsx", ctx.catalogue)
    part = read_merged(tmp_path / "merged.xlsx", ctx.catalogue, only=("findings", "submissions"))
    assert [f.to_dict() for f in part.findings] == [f.to_dict() for f in full.findings] and len(part.findings) == 3
    assert part.submissions == full.submissions and len(part.submissions) == 3
    assert part.values == {} and part.references == [] and full.values and full.references
    assert part.stamp == full.stamp
