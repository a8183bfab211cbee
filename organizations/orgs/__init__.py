"""Organizations themselves: state machine, steps, moves, reconcile, REST API, assignment routes."""
