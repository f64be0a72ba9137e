"""Rules that domain experts write, and the reasoner that finds and ranks justification chains."""
from reasoning.chains import Binding, Chain, ChainResult, Fact
from reasoning.errors import Problem, ReasoningError, RuleError
from reasoning.match import Budget, find_chains, find_chains_many
from reasoning.rank import RankedChain, Scorer, UserWeights, rank, weight_scorer
from reasoning.train import train_scorer
from reasoning.ruleset import RuleSet, check_rules, load_rules

__all__ = ["Binding", "Budget", "Chain", "ChainResult", "Fact", "Problem", "ReasoningError", "RuleError",
           "RankedChain", "RuleSet", "Scorer", "UserWeights", "check_rules", "find_chains", "find_chains_many",
           "load_rules", "rank", "train_scorer", "weight_scorer"]
