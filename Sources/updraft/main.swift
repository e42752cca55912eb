import UpdraftCLI
import UpdraftDAGs

await UpdraftCommand.main()
