from vigie_publisher.validate import main

raise SystemExit(main())
