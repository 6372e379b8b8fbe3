/**
 * The computer_use tool of the Qwen cookbooks (QwenLM/Qwen2.5-VL and Qwen3-VL
 * cookbooks/utils/agent_function_call.py `ComputerUse`), as Qwen-Agent serialises it into the
 * system prompt. Version 1 (11 actions) is what the released Qwen2.5-VL computer_use notebook
 * rendered, with Qwen-Agent 0.0.15's name_for_human and args_format; version 2 (14 actions) is
 * what the Qwen3-VL cookbook renders, without them. Only the resolution line varies.
 * Key order matters: it is the order the model saw.
 */

export function computerUseV1(width: number, height: number) {
  return {
    name_for_human: "computer_use",
    name: "computer_use",
    description: `Use a mouse and keyboard to interact with a computer, and take screenshots.
* This is an interface to a desktop GUI. You do not have access to a terminal or applications menu. You must click on desktop icons to start applications.
* Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions. E.g. if you click on Firefox and a window doesn't open, try wait and taking another screenshot.
* The screen's resolution is ${width}x${height}.
* Whenever you intend to move the cursor to click on an element like an icon, you should consult a screenshot to determine the coordinates of the element before moving the cursor.
* If you tried clicking on a program or link but it failed to load, even after waiting, try adjusting your cursor position so that the tip of the cursor visually falls on the element that you want to click.
* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element. Don't click boxes on their edges unless asked.`,
    parameters: {
      properties: {
        action: {
          description: "The action to perform. The available actions are:\n* `key`: Performs key down presses on the arguments passed in order, then performs key releases in reverse order.\n* `type`: Type a string of text on the keyboard.\n* `mouse_move`: Move the cursor to a specified (x, y) pixel coordinate on the screen.\n* `left_click`: Click the left mouse button.\n* `left_click_drag`: Click and drag the cursor to a specified (x, y) pixel coordinate on the screen.\n* `right_click`: Click the right mouse button.\n* `middle_click`: Click the middle mouse button.\n* `double_click`: Double-click the left mouse button.\n* `scroll`: Performs a scroll of the mouse scroll wheel.\n* `wait`: Wait specified seconds for the change to happen.\n* `terminate`: Terminate the current task and report its completion status.",
          enum: ["key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click", "double_click", "scroll", "wait", "terminate"],
          type: "string",
        },
        keys: {
          description: "Required only by `action=key`.",
          type: "array",
        },
        text: {
          description: "Required only by `action=type`.",
          type: "string",
        },
        coordinate: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to. Required only by `action=mouse_move` and `action=left_click_drag`.",
          type: "array",
        },
        pixels: {
          description: "The amount of scrolling to perform. Positive values scroll up, negative values scroll down. Required only by `action=scroll`.",
          type: "number",
        },
        time: {
          description: "The seconds to wait. Required only by `action=wait`.",
          type: "number",
        },
        status: {
          description: "The status of the task. Required only by `action=terminate`.",
          type: "string",
          enum: ["success", "failure"],
        },
      },
      required: ["action"],
      type: "object",
    },
    args_format: "Format the arguments as a JSON object.",
  };
}

export function computerUseV2(width: number, height: number) {
  return {
    name: "computer_use",
    description: `Use a mouse and keyboard to interact with a computer, and take screenshots.
* This is an interface to a desktop GUI. You do not have access to a terminal or applications menu. You must click on desktop icons to start applications.
* Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions. E.g. if you click on Firefox and a window doesn't open, try wait and taking another screenshot.
* The screen's resolution is ${width}x${height}.
* Whenever you intend to move the cursor to click on an element like an icon, you should consult a screenshot to determine the coordinates of the element before moving the cursor.
* If you tried clicking on a program or link but it failed to load, even after waiting, try adjusting your cursor position so that the tip of the cursor visually falls on the element that you want to click.
* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element. Don't click boxes on their edges.`,
    parameters: {
      properties: {
        action: {
          description: "The action to perform. The available actions are:\n* `key`: Performs key down presses on the arguments passed in order, then performs key releases in reverse order.\n* `type`: Type a string of text on the keyboard.\n* `mouse_move`: Move the cursor to a specified (x, y) pixel coordinate on the screen.\n* `left_click`: Click the left mouse button at a specified (x, y) pixel coordinate on the screen.\n* `left_click_drag`: Click and drag the cursor to a specified (x, y) pixel coordinate on the screen.\n* `right_click`: Click the right mouse button at a specified (x, y) pixel coordinate on the screen.\n* `middle_click`: Click the middle mouse button at a specified (x, y) pixel coordinate on the screen.\n* `double_click`: Double-click the left mouse button at a specified (x, y) pixel coordinate on the screen.\n* `triple_click`: Triple-click the left mouse button at a specified (x, y) pixel coordinate on the screen (simulated as double-click since it's the closest action).\n* `scroll`: Performs a scroll of the mouse scroll wheel.\n* `hscroll`: Performs a horizontal scroll (mapped to regular scroll).\n* `wait`: Wait specified seconds for the change to happen.\n* `terminate`: Terminate the current task and report its completion status.\n* `answer`: Answer a question.",
          enum: ["key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click", "double_click", "triple_click", "scroll", "hscroll", "wait", "terminate", "answer"],
          type: "string",
        },
        keys: {
          description: "Required only by `action=key`.",
          type: "array",
        },
        text: {
          description: "Required only by `action=type` and `action=answer`.",
          type: "string",
        },
        coordinate: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to.",
          type: "array",
        },
        pixels: {
          description: "The amount of scrolling to perform. Positive values scroll up, negative values scroll down. Required only by `action=scroll` and `action=hscroll`.",
          type: "number",
        },
        time: {
          description: "The seconds to wait. Required only by `action=wait`.",
          type: "number",
        },
        status: {
          description: "The status of the task. Required only by `action=terminate`.",
          type: "string",
          enum: ["success", "failure"],
        },
      },
      required: ["action"],
      type: "object",
    },
  };
}
