# qlik-jwt developer commands. `make help` lists them.
.DEFAULT_GOAL := help

.PHONY: help demo test package bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

demo: ## Sign a Qlik token with the embedded demo key and show it decoded
	cargo run --quiet --locked -p qlik-jwt -- demo

test: ## Run every test in the repository (what CI runs)
	bash scripts/test-all.sh

package: ## Build the release artifacts into dist/ (npm tarballs, wheel, sdist, crate)
	bash scripts/package.sh

bench: ## Run the benchmarks and write bench/RESULTS.md and the chart
	bash bench/run.sh
