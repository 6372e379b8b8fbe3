#!/usr/bin/env python3
"""A small Tk form for desktop tests: entries, a button, a menu with a shortcut, a long list.
Everything that happens is printed to stdout as JSON lines, so tests judge from outside the app.
Usage: form_app.py TITLE [OUT_FILE]"""
import json
import sys
import tkinter as tk

title = sys.argv[1] if len(sys.argv) > 1 else "Form"
out_file = sys.argv[2] if len(sys.argv) > 2 else None
root = tk.Tk()
root.title(title)
root.geometry("+0+0")
font = ("Noto Sans CJK SC", 14)


def emit(kind, **fields):
    print(json.dumps({"event": kind, **fields}, ensure_ascii=False), flush=True)


def values():
    return {"name": name.get(), "city": city.get(), "selected": status_sel.get()}


def submit(*_):
    emit("submit", **values())
    root.destroy()


def save(*_):
    if out_file:
        with open(out_file, "w", encoding="utf-8") as f:
            json.dump(values(), f, ensure_ascii=False)
    status.set("Saved")
    emit("save", **values())


def quit_app(*_):
    emit("quit")
    root.destroy()
    sys.exit(3)


menubar = tk.Menu(root, font=font)
filemenu = tk.Menu(menubar, tearoff=0, font=font)
filemenu.add_command(label="Save", accelerator="Ctrl+S", command=save)
filemenu.add_command(label="Quit", command=quit_app)
menubar.add_cascade(label="File", menu=filemenu)
root.config(menu=menubar)
root.bind_all("<Control-s>", save)

tk.Label(root, text="Name", font=font).grid(row=0, column=0, sticky="w", padx=8, pady=6)
name = tk.Entry(root, font=font, width=24)
name.grid(row=0, column=1, padx=8, pady=6)
tk.Label(root, text="City", font=font).grid(row=1, column=0, sticky="w", padx=8, pady=6)
city = tk.Entry(root, font=font, width=24)
city.grid(row=1, column=1, padx=8, pady=6)
name.bind("<Return>", lambda e: emit("enter", field="name", **values()))
city.bind("<Return>", lambda e: emit("enter", field="city", **values()))

submit_button = tk.Button(root, text="Submit", font=font, command=submit)
submit_button.grid(row=2, column=1, sticky="e", padx=8, pady=6)

frame = tk.Frame(root)
frame.grid(row=3, column=0, columnspan=2, padx=8, pady=6)
scroll = tk.Scrollbar(frame)
items = tk.Listbox(frame, height=6, font=font, yscrollcommand=scroll.set, exportselection=False)
scroll.config(command=items.yview)
for i in range(1, 61):
    items.insert("end", f"Item {i}")
items.pack(side="left")
scroll.pack(side="right", fill="y")
status_sel = tk.StringVar(value="")


def on_select(_):
    sel = items.curselection()
    if sel:
        status_sel.set(items.get(sel[0]))
        emit("select", item=items.get(sel[0]))


items.bind("<<ListboxSelect>>", on_select)

status = tk.StringVar(value="Ready")
tk.Label(root, textvariable=status, font=font).grid(row=4, column=0, columnspan=2, pady=6)

# Raw pointer and key events anywhere in the window, for executor tests.
root.bind_all("<ButtonPress>", lambda e: emit("press", button=e.num, x=e.x_root, y=e.y_root))
root.bind_all("<KeyPress>", lambda e: emit("key", keysym=e.keysym, state=e.state))
def centre(w):
    return [w.winfo_rootx() + w.winfo_width() // 2, w.winfo_rooty() + w.winfo_height() // 2]


def ready():
    root.update_idletasks()
    emit("ready", name=centre(name), city=centre(city), submit=centre(submit_button), items=centre(items))


root.after(300, ready)
root.mainloop()
