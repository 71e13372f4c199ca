from vigie_listener.query import main

raise SystemExit(main())
