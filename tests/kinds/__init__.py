"""Rule kinds defined outside the package, as another year's methodology might bring one."""
