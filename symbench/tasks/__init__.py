"""One module per SymBench task; each defines TASK (or TASKS). See symbench.registry."""
