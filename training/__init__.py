"""Building the verbalizer: corpus from graph + rules, tokenizer, model, training loop, evaluation.

Everything runs offline on a CPU in minutes (GPU with bf16 when there is one); the command is
``whyrec train --graph data/demo --rules data/rules/default.yaml --out data/models/verbalizer``.
"""
