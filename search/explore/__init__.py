"""What a result set says beyond its hits: attention over time (`timeline`),
the terms and names that set it apart (`terms`), saved searches (`watches`)."""
