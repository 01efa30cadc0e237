fn main() -> std::process::ExitCode {
    kubelab::cli::main()
}
