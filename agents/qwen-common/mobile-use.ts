/**
 * The mobile_use tool of the Qwen cookbooks (cookbooks/utils/agent_function_call.py `MobileUse`),
 * as Qwen-Agent serialises it. Version 1 is what the Qwen2.5-VL mobile_agent notebook printed
 * (QwenLM/Qwen3-VL cookbooks/mobile_agent.ipynb @ 8cdcb85, with name_for_human and args_format;
 * 9 actions, the resized resolution); the Qwen3-VL one has 8 actions (answer instead of key and
 * open) at a fixed 999x999, as three copies of the Qwen3-VL mobile_agent notebook agree (the
 * notebook cell itself could not be read). Key order is the order the model saw.
 */

export function mobileUseV1(width: number, height: number) {
  return {
    name_for_human: "mobile_use",
    name: "mobile_use",
    description: `Use a touchscreen to interact with a mobile device, and take screenshots.
* This is an interface to a mobile device with touchscreen. You can perform actions like clicking, typing, swiping, etc.
* Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions.
* The screen's resolution is ${width}x${height}.
* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element. Don't click boxes on their edges unless asked.`,
    parameters: {
      properties: {
        action: {
          description: "The action to perform. The available actions are:\n* `key`: Perform a key event on the mobile device.\n    - This supports adb's `keyevent` syntax.\n    - Examples: \"volume_up\", \"volume_down\", \"power\", \"camera\", \"clear\".\n* `click`: Click the point on the screen with coordinate (x, y).\n* `long_press`: Press the point on the screen with coordinate (x, y) for specified seconds.\n* `swipe`: Swipe from the starting point with coordinate (x, y) to the end point with coordinates2 (x2, y2).\n* `type`: Input the specified text into the activated input box.\n* `system_button`: Press the system button.\n* `open`: Open an app on the device.\n* `wait`: Wait specified seconds for the change to happen.\n* `terminate`: Terminate the current task and report its completion status.",
          enum: ["key", "click", "long_press", "swipe", "type", "system_button", "open", "wait", "terminate"],
          type: "string",
        },
        coordinate: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to. Required only by `action=click`, `action=long_press`, and `action=swipe`.",
          type: "array",
        },
        coordinate2: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to. Required only by `action=swipe`.",
          type: "array",
        },
        text: {
          description: "Required only by `action=key`, `action=type`, and `action=open`.",
          type: "string",
        },
        time: {
          description: "The seconds to wait. Required only by `action=long_press` and `action=wait`.",
          type: "number",
        },
        button: {
          description: "Back means returning to the previous interface, Home means returning to the desktop, Menu means opening the application background menu, and Enter means pressing the enter. Required only by `action=system_button`",
          enum: ["Back", "Home", "Menu", "Enter"],
          type: "string",
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

export function mobileUseQwen3(width: number, height: number) {
  return {
    name: "mobile_use",
    description: `Use a touchscreen to interact with a mobile device, and take screenshots.
* This is an interface to a mobile device with touchscreen. You can perform actions like clicking, typing, swiping, etc.
* Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions.
* The screen's resolution is ${width}x${height}.
* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element. Don't click boxes on their edges unless asked.`,
    parameters: {
      properties: {
        action: {
          description: "The action to perform. The available actions are:\n* `click`: Click the point on the screen with coordinate (x, y).\n* `long_press`: Press the point on the screen with coordinate (x, y) for specified seconds.\n* `swipe`: Swipe from the starting point with coordinate (x, y) to the end point with coordinates2 (x2, y2).\n* `type`: Input the specified text into the activated input box.\n* `answer`: Output the answer.\n* `system_button`: Press the system button.\n* `wait`: Wait specified seconds for the change to happen.\n* `terminate`: Terminate the current task and report its completion status.",
          enum: ["click", "long_press", "swipe", "type", "answer", "system_button", "wait", "terminate"],
          type: "string",
        },
        coordinate: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to. Required only by `action=click`, `action=long_press`, and `action=swipe`.",
          type: "array",
        },
        coordinate2: {
          description: "(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to. Required only by `action=swipe`.",
          type: "array",
        },
        text: {
          description: "Required only by `action=type` and `action=answer`.",
          type: "string",
        },
        time: {
          description: "The seconds to wait. Required only by `action=long_press` and `action=wait`.",
          type: "number",
        },
        button: {
          description: "Back means returning to the previous interface, Home means returning to the desktop, Menu means opening the application background menu, and Enter means pressing the enter. Required only by `action=system_button`",
          enum: ["Back", "Home", "Menu", "Enter"],
          type: "string",
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
