"""Planning: what a province can do to raise its index, and at what effort."""
