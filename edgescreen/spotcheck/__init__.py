"""抽查核实: the statistics of a spot check — draw a sample, then weigh what the verifiers found."""
