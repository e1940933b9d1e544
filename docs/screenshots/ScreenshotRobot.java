import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;

/** Screenshot helper (docs/app.md, run as `java docs/screenshots/ScreenshotRobot.java ...` under xvfb-run): "grid X Y" clicks at X,Y (to focus the window) and presses Ctrl+G; "wheel X Y N" scrolls N notches there. */
public class ScreenshotRobot {
    public static void main(String[] args) throws Exception {
        Robot r = new Robot();
        int x = Integer.parseInt(args[1]);
        int y = Integer.parseInt(args[2]);
        r.mouseMove(x, y);
        r.delay(300);
        if (args[0].equals("wheel")) {
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                r.mouseWheel(1);
                r.delay(100);
            }
        } else {
            r.mousePress(InputEvent.BUTTON1_DOWN_MASK);
            r.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
            r.delay(300);
            r.keyPress(KeyEvent.VK_CONTROL);
            r.keyPress(KeyEvent.VK_G);
            r.keyRelease(KeyEvent.VK_G);
            r.keyRelease(KeyEvent.VK_CONTROL);
        }
        r.delay(300);
        r.mouseMove(1, 1);
    }
}
