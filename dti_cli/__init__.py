"""dti: the provincial Digital Transformation Index (DTI) of Vietnam, from data collection to report.

The library the CLI runs on is :mod:`dti_cli.api` (docs/API.md)::

    from dti_cli import api as dti

    ctx = dti.load_context()                          # profile, catalogue, baseline
    round_ = dti.merge(ctx, ["nhan-ve/"])             # returned workbooks → a merge result
    scores = dti.score(ctx, round_)                   # or dti.score_file(ctx, "merged.xlsx")
    scores = dti.score_values(ctx, {"1.2.a": "Có"})   # values as officials type them
    scores.to_frame()                                 # pandas, typed columns
    dti.export(ctx, "scores.xlsx").write("dti.csv")   # one long table across rounds and years
    dti.history(ctx, "2023/scores.xlsx", "2024/scores.xlsx")

The API is a module of its own, not this package's namespace: the stages are packages named
``merge``, ``score``, ``report``, ``plan``, ``export`` (the pipeline, visible in the folders), and
``import dti_cli`` loads nothing else, so ``dti --help`` stays at start-up time.
"""

__version__ = "0.1.0"
