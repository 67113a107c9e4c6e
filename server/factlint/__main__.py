from factlint.cli import run

run()
