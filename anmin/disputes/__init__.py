"""Domain: dispute sweeps and mediation (矛盾纠纷排查调处化解) — organisations, mediators, disputes."""
