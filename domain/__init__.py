"""The programme's rules: pure functions over pydantic models; no Temporal, no I/O."""
