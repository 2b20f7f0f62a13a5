"""The risk register: risks of goals, targets and projects, their mitigation and its status."""
