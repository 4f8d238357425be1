from accountable.cli import main

main()
