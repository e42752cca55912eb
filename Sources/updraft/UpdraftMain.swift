import UpdraftCLI
import UpdraftDAGs

@main
struct UpdraftMain {
    static func main() async {
        await UpdraftCommand.main()
    }
}
