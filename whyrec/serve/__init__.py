"""``whyrec serve``: the HTTP service (explanations, feedback, rule checks and previews) and the rule
studio page, on top of the four packages below; none of them imports this one."""
