#!/usr/bin/env python3
"""A Tk dialog with option menus (a button that shows the current value and drops a menu of the
others) for desktop tests. Print writes the chosen values to OUT_FILE as JSON and exits.
Usage: options_app.py TITLE OUT_FILE"""
import json
import sys
import tkinter as tk

title = sys.argv[1] if len(sys.argv) > 1 else "Print settings"
out_file = sys.argv[2] if len(sys.argv) > 2 else None
root = tk.Tk()
root.title(title)
root.geometry("+0+0")
font = ("Noto Sans CJK SC", 14)
root.option_add("*Font", font)

paper = tk.StringVar(value="A4")
colour = tk.StringVar(value="Colour")
frame = tk.Frame(root, padx=24, pady=20)
frame.pack()
tk.Label(frame, text="Paper size").grid(row=0, column=0, sticky="w", pady=8)
paper_menu = tk.OptionMenu(frame, paper, "A4", "Letter", "Legal", "A5")
paper_menu.config(width=10)
paper_menu["menu"].config(font=font)
paper_menu.grid(row=0, column=1, sticky="w", padx=12)
tk.Label(frame, text="Ink").grid(row=1, column=0, sticky="w", pady=8)
colour_menu = tk.OptionMenu(frame, colour, "Colour", "Greyscale", "Draft")
colour_menu.config(width=10)
colour_menu["menu"].config(font=font)
colour_menu.grid(row=1, column=1, sticky="w", padx=12)


def do_print():
    if out_file:
        with open(out_file, "w", encoding="utf-8") as f:
            json.dump({"paper": paper.get(), "ink": colour.get()}, f)
    root.destroy()


tk.Button(frame, text="Print", command=do_print, width=8).grid(row=2, column=1, sticky="e", pady=(16, 0))
root.mainloop()
