# Text that has no translation yet (kept only while messages move to Fluent).
raw = { $text }
