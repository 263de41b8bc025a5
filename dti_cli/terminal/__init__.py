"""What the terminal shows: each stage's results as rich renderables, in the run's language.

Commands print these; the library never prints. Anything that came from a returned file (a
file name, an agency's note) is shown inert: no markup, no control character reaches the terminal.
"""
