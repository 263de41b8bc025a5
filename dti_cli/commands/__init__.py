"""The command-line layer: each module registers the commands of one pipeline stage.

Commands parse options, call one library function and render its result. They never hold
Excel or scoring logic, and they import pandas/openpyxl only inside the command body so that
``dti --help`` starts fast.
"""
