import ArgumentParser

/// `kennel completion bash|zsh|fish`: the shell completion script, to source or install.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            bash: kennel completion bash > /etc/bash_completion.d/kennel
            zsh:  kennel completion zsh > "${fpath[1]}/_kennel"
            fish: kennel completion fish > ~/.config/fish/completions/kennel.fish
            """)

    @Argument(
        help: "bash, zsh or fish.",
        transform: { text in
            guard let shell = CompletionShell(rawValue: text) else { throw ValidationError("'\(text)' is not a shell this knows (bash, zsh, fish)") }
            return shell
        })
    var shell: CompletionShell

    func run() {
        print(KennelCommand.completionScript(for: shell))
    }
}
