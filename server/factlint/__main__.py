from factlint.cli import main

raise SystemExit(main())
