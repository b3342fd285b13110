"""Domain: grid events (网格事件) — what a grid worker or a resident reports, handled through the case engine."""
