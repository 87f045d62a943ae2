"""Shared-data verification (数据共享, R5.4): the source interface, the reference dataset,
the checks of a declaration and the unit's manual confirmation. See docs/shared-data.md."""
