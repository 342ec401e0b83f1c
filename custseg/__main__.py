from custseg.cli import main

main()
