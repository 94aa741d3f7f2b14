from .cli import main

# Guarded: a helper process spawned on Windows imports this module again as __mp_main__.
if __name__ == "__main__":
    main()
